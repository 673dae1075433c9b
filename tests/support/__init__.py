"""Helpers shared by the tests: OpenAPI checks, services, payload builders."""
