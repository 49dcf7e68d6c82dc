"""Child protection: the Working Together time limits as pure clock functions."""
