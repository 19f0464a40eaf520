import type { ShopFacts } from '@techmarket/contracts';

/** What the replies know of the shop: its facts, and the address of the lead's branch and of the others. */
export interface ReplyFacts
  extends Pick<ShopFacts, 'currency' | 'delivery' | 'pickup' | 'payment' | 'warranty' | 'repair'> {
  address: string | null;
  otherBranches: { name: string; address: string }[];
}

/** The facts as a reply of a lead at `branchId` uses them: its branch's address first, the others' after. */
export function replyFactsOf(facts: ShopFacts, branchId: string): ReplyFacts {
  const own = facts.branches.find((b) => b.branchId === branchId);
  return {
    currency: facts.currency,
    delivery: facts.delivery,
    pickup: facts.pickup,
    payment: facts.payment,
    warranty: facts.warranty,
    repair: facts.repair,
    address: own?.address ?? null,
    otherBranches: facts.branches.flatMap((b) =>
      b.branchId !== branchId && b.address ? [{ name: b.name, address: b.address }] : [],
    ),
  };
}
