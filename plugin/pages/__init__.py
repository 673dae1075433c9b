"""The organiser pages `kring serve` shows: server-rendered, without JavaScript, in the community's language.

An organiser (a community admin, or an admin of one of its workflows) asks for a link with
`/cop dashboard`; the link signs them in once (:mod:`plugin.pages.links`); every page checks again that
they still organise the community (:mod:`plugin.pages.access`). What a page shows follows the digests'
consent and anonymity rules; members' private notes appear on none of them.
"""
