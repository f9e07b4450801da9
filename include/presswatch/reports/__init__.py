"""Monthly report drafts: data for a month, rendered per language and format, published with the marts."""
