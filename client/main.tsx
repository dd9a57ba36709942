/**
 * One page, three views by path: the wall at `/`, the duty officer's console at `/console`, the
 * leader's glance at `/glance`. Each exchanges `?token=` for the session cookie (then drops it from
 * the address bar) and follows the live stream.
 */
import { render } from 'solid-js/web';
import { Console } from './console/console.js';
import { Glance } from './glance/glance.js';
import { Wall } from './wall/wall.js';

const path = window.location.pathname.replace(/\/+$/, '');
const View = path === '/console' ? Console : path === '/glance' ? Glance : Wall;
render(() => <View />, document.getElementById('root')!);
