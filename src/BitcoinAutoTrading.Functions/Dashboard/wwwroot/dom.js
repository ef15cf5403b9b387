// Builds elements from data with textContent only: API strings never become markup.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A time cell: KST text, UTC on hover. */
export function timeEl(tag, kstText, utcText) {
  return el(tag, { title: utcText, class: 'time' }, kstText);
}

/** Replaces a definition list's content with label → value rows; each value carries data-field for tests and styling. */
export function fillKv(dl, rows) {
  dl.replaceChildren(...rows.flatMap(([label, value, field, cls, title]) => [
    el('dt', {}, label),
    el('dd', { 'data-field': field, class: cls, title }, value),
  ]));
}

export function fillTable(table, headers, rows) {
  table.replaceChildren(
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows),
  );
}
