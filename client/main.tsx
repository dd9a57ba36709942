/**
 * Interim status page at `/`: exchanges `?token=` for the session cookie (then drops it from the
 * address bar) and shows today's figures from /api/stats/summary. The live wall (charts, map,
 * alerts over the stream) replaces it.
 */
import { render } from 'solid-js/web';
import { StatusPage } from './status-page.js';

render(() => <StatusPage />, document.getElementById('root')!);
