// The web UI's script, put in the page head by ui/mount.py. Event delegation on the document, so it
// applies to answers and tables Gradio renders later; it changes no Gradio state.
(() => {
  if (window.__paScript) return;
  window.__paScript = true;

  // An answer's [n] marker jumps to its source card in the same answer and highlights it. The
  // chat's sanitizer drops data-* attributes, so the number is read from the marker's text and the
  // card found by its id within the answer (every answer numbers its sources from 1).
  function jump(ref) {
    const m = /(\d+)/.exec(ref.textContent || "");
    const answer = ref.closest(".pa-answer");
    const card = answer && m ? answer.querySelector("#pa-cite-" + m[1]) : null;
    if (!card) return;
    document.querySelectorAll(".pa-source.pa-flash").forEach((el) => el.classList.remove("pa-flash"));
    card.classList.add("pa-flash");
    card.scrollIntoView({ behavior: "smooth", block: "center" });
  }
  function refOf(event) {
    const t = event.target;
    return t && t.closest ? t.closest(".pa-ref") : null;
  }
  document.addEventListener("click", (event) => {
    const ref = refOf(event);
    if (ref) jump(ref);
  });
  document.addEventListener("keydown", (event) => {
    const ref = (event.key === "Enter" || event.key === " ") && refOf(event);
    if (ref) {
      event.preventDefault();
      jump(ref);
    }
  });

  // Strings Gradio writes in English whatever its i18n says: the table search box's placeholder and
  // the toast titles (the toast's level, capitalised).
  const SEARCH = "搜索…";
  const TITLES = { Warning: "注意", Info: "提示", Error: "错误", Success: "完成" };
  function localize() {
    document.querySelectorAll("input.search-input").forEach((el) => {
      if (el.placeholder !== SEARCH) el.placeholder = SEARCH;
    });
    document.querySelectorAll(".toast-title").forEach((el) => {
      const node = el.firstChild;
      const zh = node && node.nodeType === Node.TEXT_NODE ? TITLES[node.data.trim()] : undefined;
      if (zh) node.data = zh + " ";
    });
  }
  new MutationObserver(localize).observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
  });
})();
