"""Print the rules reference document: ``python -m beacon.rules > docs/rules.md``."""
from beacon.rules import markdown_table

if __name__ == "__main__":
    print(markdown_table(), end="")
