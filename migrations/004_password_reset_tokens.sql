-- 004 Password reset: one-time tokens, stored only as a hash, 30 minutes, single use.

CREATE TABLE password_reset_tokens (
    token_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(user_id),
    token_hash VARCHAR(255) NOT NULL,  -- Hashed token
    expires_at TIMESTAMPTZ NOT NULL,   -- 30 minutes expiry
    used_at TIMESTAMPTZ,               -- Single use
    created_at TIMESTAMPTZ DEFAULT NOW(),
    issued_by UUID REFERENCES users(user_id),
    CHECK (expires_at > created_at)
);
CREATE INDEX idx_password_reset_tokens_hash ON password_reset_tokens(token_hash);
CREATE INDEX idx_password_reset_tokens_expires ON password_reset_tokens(expires_at);
