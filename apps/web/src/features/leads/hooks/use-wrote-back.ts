import type { LeadDetail } from '@techmarket/contracts';
import { useCallback, useEffect, useState } from 'react';

/** wa.me opened from the lead, the seller gone to WhatsApp (tab hidden or window left), then back. */
type Phase = 'idle' | 'opened' | 'away' | 'back';

/**
 * Whether to ask "¿Le escribiste?": a reply sent by wa.me leaves no trace in the CRM, so a NEW lead would stay
 * NEW (and its response time open) until the seller also moved it by hand. When they come back to this tab
 * after opening wa.me on a NEW lead, the page asks, and one "Sí" moves it to CONTACTED. Not where the branch
 * has a WhatsApp channel: there the reply itself, sent from the CRM, is the first response.
 */
export function useWroteBack(lead: Pick<LeadDetail, 'status'>, viaChannel: boolean) {
  const [phase, setPhase] = useState<Phase>('idle');

  // Listening all along (each step only follows the one before it), so no leaving is missed between the tap
  // and a render.
  useEffect(() => {
    const leave = () => setPhase((p) => (p === 'opened' ? 'away' : p));
    const comeBack = () => setPhase((p) => (p === 'away' ? 'back' : p));
    // A phone hides the page when WhatsApp opens; a desktop opens wa.me in another tab or window.
    const visibility = () => (document.visibilityState === 'hidden' ? leave() : comeBack());
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('blur', leave);
    window.addEventListener('focus', comeBack);
    return () => {
      document.removeEventListener('visibilitychange', visibility);
      window.removeEventListener('blur', leave);
      window.removeEventListener('focus', comeBack);
    };
  }, []);

  const waiting = lead.status === 'NEW' && !viaChannel;
  return {
    /** The wa.me link was just used. */
    opened: useCallback(() => {
      if (waiting) setPhase('opened');
    }, [waiting]),
    // Asked only while it still matters: someone else may have moved the lead meanwhile (the page refetches it).
    asking: phase === 'back' && waiting,
    done: useCallback(() => setPhase('idle'), []),
  };
}
