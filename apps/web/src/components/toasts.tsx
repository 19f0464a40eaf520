import { useMediaQuery } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';

/**
 * Where toasts show. Loaded after the first paint (app.tsx): the container, its transitions and swipe-to-dismiss
 * are no part of a first screen, and a toast raised before it arrives waits in the store and shows then.
 */
export function Toasts() {
  // Below Mantine's sm breakpoint (the phone layout, with its bottom navigation) toasts come up from the bottom.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  return <Notifications position={phone ? 'bottom-center' : 'top-right'} limit={4} />;
}
