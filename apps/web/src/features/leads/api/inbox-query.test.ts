import { describe, expect, it } from 'vitest';
import { inboxQueryFor } from './leads';

const seller = { user: { id: '0190f0f0-0000-7000-8000-000000000010', role: 'SELLER' } } as const;
const owner = { user: { id: '0190f0f0-0000-7000-8000-000000000011', role: 'OWNER' } } as const;
const colleague = '0190f0f0-0000-7000-8000-000000000012';
// Only the fields inboxQueryFor reads.
const as = <T>(me: T) => me as unknown as Parameters<typeof inboxQueryFor>[1];

describe('the inbox a URL asks for', () => {
  it("opens a seller's inbox on their own open leads, longest-waiting first", () => {
    expect(inboxQueryFor({}, as(seller))).toEqual({
      status: 'OPEN',
      assignedTo: seller.user.id,
      sort: 'waiting',
    });
  });

  it("opens an owner's inbox on everyone's open leads, longest-waiting first", () => {
    expect(inboxQueryFor({}, as(owner))).toEqual({ status: 'OPEN', sort: 'waiting' });
  });

  it('shows the team, or a colleague, when asked; every stage with ALL', () => {
    expect(inboxQueryFor({ scope: 'team', status: 'ALL' }, as(seller))).toEqual({ sort: 'waiting' });
    expect(inboxQueryFor({ scope: 'team', assignedTo: colleague }, as(seller))).toMatchObject({
      assignedTo: colleague,
    });
    // "Mine" is mine, whichever seller the URL also names.
    expect(inboxQueryFor({ scope: 'mine', assignedTo: colleague }, as(owner))).toMatchObject({
      assignedTo: owner.user.id,
    });
    expect(inboxQueryFor({ status: 'WON', sort: '-createdAt' }, as(owner))).toEqual({
      status: 'WON',
      sort: '-createdAt',
    });
  });
});
