// Small helpers, each optional: the pages work without script (plain forms and links).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Drag and drop onto the upload area fills the file input; the form sends as usual.
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  if (drop && input) {
    for (const name of ["dragenter", "dragover"]) {
      drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); });
    }
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      input.files = e.dataTransfer.files;
      input.form.requestSubmit();
    });
  }
  // Problem tables sort by severity (errors first, or notes first) on their header button.
  for (const button of document.querySelectorAll("button.sort")) {
    button.addEventListener("click", () => {
      const th = button.closest("th");
      const body = button.closest("table").tBodies[0];
      const up = th.getAttribute("aria-sort") !== "ascending";
      const rows = [...body.rows].sort((a, b) => (a.dataset.rank - b.dataset.rank) * (up ? 1 : -1));
      rows.forEach((r) => body.appendChild(r));
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
    });
  }
  // The year picker of the board goes to that year's board.
  for (const select of document.querySelectorAll("select[data-go=board]")) {
    select.addEventListener("change", () => { window.location = "/board/" + select.value + "/"; });
  }
  // Running jobs show their progress; the page reloads when one of them ends.
  const running = [...document.querySelectorAll("tr.job")].filter(
    (r) => r.dataset.state === "queued" || r.dataset.state === "running");
  if (running.length) {
    const poll = async () => {
      let ended = false;
      for (const row of running) {
        const job = await (await fetch(row.dataset.url, { credentials: "same-origin" })).json();
        row.querySelector(".state").textContent = job.state_text;
        row.dataset.state = job.state;
        const bar = row.querySelector("progress");
        bar.max = job.total || 1;
        bar.value = job.done;
        row.querySelector(".count").textContent = job.done + "/" + job.total;
        if (job.state === "done" || job.state === "failed") ended = true;
      }
      if (ended) window.location.reload(); else setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  }
});
