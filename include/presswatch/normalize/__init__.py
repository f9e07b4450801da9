"""Turning what correspondents write into presswatch's codes and types."""
