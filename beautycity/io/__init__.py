"""Files written safely: atomic replacement, whole folders published at once, stable bytes."""
