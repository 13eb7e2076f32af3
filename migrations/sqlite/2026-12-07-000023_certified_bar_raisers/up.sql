-- The people a bar raiser can be chosen from: certified and active, about 1
-- in 100 of an organisation. The suggestions read them from this index
-- instead of scanning every account (`db::loops::certified_outside_chain_of`,
-- whose WHERE clause is written exactly so).
CREATE INDEX users_certified_active ON users (id)
    WHERE bar_raiser = 'certified' AND active = TRUE;
