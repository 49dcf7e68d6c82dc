"""Domestic abuse: the risk identification instrument, its scoring, and the MARAC referral rules."""
