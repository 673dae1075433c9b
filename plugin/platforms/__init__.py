"""Platform clients: one interface, one package per platform (HTTP client apart from mapping)."""
