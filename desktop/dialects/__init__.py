"""Server dialects: one package per server kind behind the ports of :mod:`desktop.dialects.base`."""
