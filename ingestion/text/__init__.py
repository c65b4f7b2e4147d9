"""The text layer, at the bottom of every other: errors, normal forms, numbers and the wording rules."""
