// Reads an .ics file with Mozilla's ical.js and prints what test_calendar_interop.py compares:
//   node read_ics.mjs FILE [N]
// {"events": [{uid, recurrence_id, start, end, all_day, status, summary, description,
//              location, categories, related_to}],
//  "occurrences": {uid: [{recurrence_id, start, end, summary}, ... first N]}}
// Date-times are UTC instants from toJSDate() ("2026-10-08T08:00:00Z"); dates stay dates
// ("2026-06-10"). Time zones come only from the file's own VTIMEZONEs: nothing is registered.
import { readFileSync } from "node:fs";
import ICAL from "./ical.mjs";

const [path, countArg] = process.argv.slice(2);
const limit = Number(countArg || 10);

function instant(time) {
  if (!time) return null;
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
const events = [];
const masters = new Map();
const exceptions = [];
for (const component of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  const recurrenceId = component.getFirstPropertyValue("recurrence-id");
  events.push({
    uid: event.uid,
    recurrence_id: instant(recurrenceId),
    start: instant(event.startDate),
    end: instant(event.endDate),
    all_day: event.startDate.isDate,
    status: component.getFirstPropertyValue("status"),
    summary: event.summary,
    description: event.description,
    location: event.location,
    categories: component.getAllProperties("categories").flatMap((p) => p.getValues()),
    related_to: component.getFirstPropertyValue("related-to"),
  });
  if (recurrenceId) exceptions.push(component);
  else masters.set(event.uid, event);
}
// An override may come before its master: relate them once all are read.
for (const component of exceptions) {
  const master = masters.get(component.getFirstPropertyValue("uid"));
  if (master) master.relateException(component);
}

const occurrences = {};
for (const [uid, event] of masters) {
  if (!event.isRecurring()) continue;
  const iterator = event.iterator();
  const list = [];
  let next;
  while (list.length < limit && (next = iterator.next())) {
    const details = event.getOccurrenceDetails(next);
    list.push({
      recurrence_id: instant(details.recurrenceId),
      start: instant(details.startDate),
      end: instant(details.endDate),
      summary: details.item.summary,
    });
  }
  occurrences[uid] = list;
}
process.stdout.write(JSON.stringify({ events, occurrences }));
