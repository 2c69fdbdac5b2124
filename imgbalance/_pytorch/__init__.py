"""The code behind :mod:`imgbalance.torch`."""
