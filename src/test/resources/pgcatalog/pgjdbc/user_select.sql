SELECT id, owner, balance FROM accounts
