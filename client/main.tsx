/**
 * The wall at `/`: exchanges `?token=` for the session cookie (then drops it from the address bar)
 * and shows the district live from the stream.
 */
import { render } from 'solid-js/web';
import { Wall } from './wall/wall.js';

render(() => <Wall />, document.getElementById('root')!);
