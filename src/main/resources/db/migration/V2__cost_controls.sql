-- Admitted call attempts per limit key (a number, or a metadata value such as a client IP), for the cooldown and
-- the daily maximum. Rows older than 24 hours no longer count and are deleted as their key is used again or by the
-- sweeper.
create table verification_attempt (
    limit_key    text         not null,
    attempted_at timestamptz  not null default now()
);

create index verification_attempt_key_time on verification_attempt (limit_key, attempted_at);
create index verification_attempt_time on verification_attempt (attempted_at);

-- What CheckMobi charged per UTC day, summed as outcomes are first kept, for the daily spend ceiling.
create table verification_spend (
    day     date           primary key,
    amount  numeric(14, 4) not null
);

-- Typed PINs that failed the local pin_hash check (each publishes PIN_REJECTED) until the attempts run out.
alter table verification add column pin_rejections integer not null default 0;
