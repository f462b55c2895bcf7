-- One row per verification: the once-only records that guard the calls that cost money, and the outcome.
--   CLAIMED                 a START may send the one Request Validation
--   CANCELLED_BEFORE_START  a CANCEL came first: the START that follows places no call
--   REQUESTED               CheckMobi accepted the request: validation_id and deadline are known
--   VERIFY_CLAIMED          the one Verify PIN (digits or HANGUP) may be sent
--   ENDED                   the outcome is decided (outcome); published once Kafka acknowledged it
create table verification (
    verification_id   varchar(128) primary key,
    state             varchar(32)  not null,
    validation_id     varchar(128) unique,
    deadline          timestamptz,
    requested         text,
    verify_intent     varchar(16),
    outcome           text,
    published         boolean      not null default false,
    swept_at          timestamptz,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now()
);

create index verification_requested_deadline on verification (deadline) where state = 'REQUESTED';
create index verification_open_updated on verification (updated_at) where state in ('CLAIMED', 'VERIFY_CLAIMED');
create index verification_unpublished on verification (updated_at) where state = 'ENDED' and not published;

-- The aggregator's pending groups (what is known so far of a running verification), as JSON, with a version for
-- optimistic locking between instances.
create table verification_pending (
    correlation_key   varchar(128) primary key,
    exchange_id       varchar(64)  not null,
    state             text         not null,
    version           bigint       not null
);

-- Completed groups whose completion (Verify PIN, outcome) has not been confirmed yet: recovered after a crash.
create table verification_completed (
    exchange_id       varchar(64)  primary key,
    correlation_key   varchar(128) not null,
    state             text         not null,
    completed_by      varchar(32),
    completed_at      timestamptz  not null default now()
);
