// On a phone a table is shown as a card per row (app.css); each cell carries its column's heading so the card still
// says what each value is. The headings are copied from the table's own header row, so no page has to repeat them.
// Enhanced navigation swaps pages without running scripts, so the labels are written again after each one.
function roundsLabelTables() {
  document.querySelectorAll('table.table').forEach(table => {
    const headings = Array.from(table.querySelectorAll(':scope > thead th')).map(th => th.textContent.trim());
    if (headings.length === 0) return;
    table.querySelectorAll(':scope > tbody > tr').forEach(row => {
      Array.from(row.children).forEach((cell, index) => {
        if (headings[index] && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', headings[index]);
      });
    });
  });
}

document.addEventListener('DOMContentLoaded', roundsLabelTables);
if (window.Blazor) window.Blazor.addEventListener('enhancedload', roundsLabelTables);
