"""Helpers the tests share (pages, replies, users, measured figures). Test modules and
conftest files import from here; conftest files only define fixtures."""
