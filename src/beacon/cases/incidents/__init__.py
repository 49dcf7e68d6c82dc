"""Command-and-control incidents, the public protection unit's work items and address warnings."""
