"""presswatch: the warehouse and reporting pipelines of a press-freedom monitoring service."""

__version__ = "0.1.0"
