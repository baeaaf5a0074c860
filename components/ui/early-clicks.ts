/**
 * Clicks made before the page is hydrated. Until React has attached its handlers a click on a
 * server-rendered button does nothing, and a person tapping "Acknowledge" while the console loads
 * would lose it. A tiny inline script (EARLY_CLICKS_SCRIPT, first in <head>) holds such clicks and
 * form submissions back, once per control, and `replayEarlyClicks` (called when the page has
 * hydrated) clicks them again in order, now with React listening. Links need nothing: they work
 * without JavaScript. The script is a string, not a serialised function, so no bundler can rewrite
 * it; it touches nothing that React renders.
 */
export const EARLY_CLICKS_SCRIPT = `(function(w,d){if(w.__vigilEarly)return;var s=w.__vigilEarly={q:[],done:false};
var sel='button,[role=button],[role=tab],[role=switch],[role=checkbox],[role=menuitem],input[type=checkbox],input[type=radio],input[type=submit]';
function hold(e,el){e.preventDefault();e.stopImmediatePropagation();if(s.q.indexOf(el)<0)s.q.push(el);}
d.addEventListener('click',function(e){if(s.done)return;var t=e.target,el=t&&t.closest?t.closest(sel):null;
if(!el||el.disabled||el.getAttribute('aria-disabled')==='true')return;hold(e,el);},true);
d.addEventListener('submit',function(e){if(!s.done)hold(e,e.target);},true);})(window,document);`;

interface EarlyClicks {
  q: Element[];
  done: boolean;
}

/** Stops holding clicks and replays the held ones (each control once, in the order first clicked). Returns how many were replayed. */
export function replayEarlyClicks(win: Window & { __vigilEarly?: EarlyClicks } = window): number {
  const state = win.__vigilEarly;
  if (!state || state.done) return 0;
  state.done = true;
  let replayed = 0;
  for (const el of state.q.splice(0)) {
    if (!el.isConnected) continue; // re-rendered from scratch: the control the person saw is gone
    if (el instanceof HTMLFormElement) el.requestSubmit();
    else if (el instanceof HTMLElement && !(el as HTMLButtonElement).disabled) el.click();
    else continue;
    replayed++;
  }
  return replayed;
}
