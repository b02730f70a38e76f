"""Firms: registries of companies, normalised names for matching patent applicants to them."""
