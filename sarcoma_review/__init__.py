"""Reusable logic of the evidence review on TACE and AICE for soft-tissue sarcoma."""
