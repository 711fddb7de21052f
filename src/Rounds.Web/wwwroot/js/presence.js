// Who else has this conversation open: the page asks the server every 15 seconds (which also keeps this viewer
// present for the others) and names them. Without scripts the line stays hidden. Loaded once by the layout, like
// the composer, since Blazor's enhanced navigation does not run scripts in the pages it swaps in.
function roundsPresence() {
  const line = document.getElementById('presence');
  if (!line || line.dataset.live) return;
  line.dataset.live = 'on';
  const url = line.dataset.presenceUrl;

  async function poll() {
    // The page was left (enhanced navigation replaced it): stop asking.
    if (!document.body.contains(line)) {
      clearInterval(timer);
      return;
    }
    try {
      const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
      if (!response.ok) return;
      const viewers = (await response.json()).viewers || [];
      line.textContent = viewers.length === 0 ? '' : `Also viewing: ${viewers.join(', ')}.`;
      line.hidden = viewers.length === 0;
    } catch {
      // Offline or busy: the line keeps what it said last, and the next poll tries again.
    }
  }

  const timer = setInterval(poll, 15000);
  poll();
}

document.addEventListener('DOMContentLoaded', roundsPresence);
if (window.Blazor) window.Blazor.addEventListener('enhancedload', roundsPresence);
