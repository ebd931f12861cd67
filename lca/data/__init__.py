"""Loading and looking up the shipped datasets."""
