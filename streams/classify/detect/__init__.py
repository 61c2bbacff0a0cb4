"""Deciding what happened: the rules' triggers and the learned detector pick categories and statuses."""
