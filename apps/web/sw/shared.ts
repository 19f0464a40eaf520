/** Names the service worker and the page share. */

/** Where the last inbox and lead reads are kept for offline use; emptied on logout. */
export const API_CACHE = 'tm-api';
/** The worker asks an open window to route to a page (a notification was tapped). */
export const OPEN_LEAD_MESSAGE = 'tm-open-page';
