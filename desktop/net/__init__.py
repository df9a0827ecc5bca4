"""What every dialect shares to reach a server: the HTTP session, its errors, TLS, addresses, pacing."""
