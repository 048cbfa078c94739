// Understanding's extra signals on every message (issue 11): the probability that it is
// ironic and that it is offensive or hateful, as {"irony": 0.12, "toxic": 0.03}; rules
// read them (message.irony, message.toxic). Null on messages analyzed before.
export const sql = `
alter table messages add column signals jsonb;
`;
