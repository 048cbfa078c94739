// The portal's one script (served as /c/assets/portal.js, same origin, so the CSP allows it):
// while a member types an idea's title it lists similar ideas, and while they type a question
// it lists help articles and answered questions (deflection). Results are written with
// textContent, never as HTML. The pages work without it.
export const PORTAL_JS = `(() => {
  "use strict";
  function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }
  function wire(input, url, target, heading) {
    const box = document.getElementById(target);
    if (!box) return;
    const run = debounce(async () => {
      const q = input.value.trim();
      if (q.length < 3) { box.replaceChildren(); return; }
      try {
        const res = await fetch(url + "?q=" + encodeURIComponent(q), { headers: { accept: "application/json" } });
        if (!res.ok) return;
        const items = (await res.json()).data || [];
        if (input.value.trim() !== q) return;
        if (items.length === 0) { box.replaceChildren(); return; }
        const title = document.createElement("p");
        title.className = "meta";
        title.textContent = heading;
        const list = document.createElement("ul");
        list.className = "list";
        for (const item of items) {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = item.url;
          a.textContent = item.title;
          li.append(a);
          if (typeof item.votes === "number") {
            const meta = document.createElement("span");
            meta.className = "meta";
            meta.textContent = " · " + item.votes + (item.votes === 1 ? " vote" : " votes");
            li.append(meta);
          }
          list.append(li);
        }
        box.replaceChildren(title, list);
      } catch { /* a hint only */ }
    }, 250);
    input.addEventListener("input", run);
  }
  for (const el of document.querySelectorAll("input[data-similar]")) wire(el, el.dataset.similar, "similar", "Similar ideas: vote for one instead?");
  for (const el of document.querySelectorAll("input[data-suggest]")) wire(el, el.dataset.suggest, "suggestions", "These may answer your question:");
})();
`;
