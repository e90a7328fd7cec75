"""Who is calling: Supabase-shaped JWTs, personal API tokens, and the local auth server."""
