<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About BadgeDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A fast, offline-first desktop client for moderating community badges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bundled libraries and their licences:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundled libraries and their licences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy debug info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy versions and platform for a bug report (no token, no server, no member data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActionLabels</name>
    <message>
        <source>Award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mass award</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActionState</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discarded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActionTableModel</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discontinued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uploaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-by-one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing-to-upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome / why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>request #{id}: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} (apply anyway or skip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} (skip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>{error} Working offline on the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Starting the demo community (the first start creates %Ln member(s))…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>API token for {server}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring: the token is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No token given: working offline on the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk needs the kind of server to connect to {server}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk needs the username the API key acts as to connect to {server}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: working offline on the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring: the key is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>storing the token in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token works but was not stored. {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the API token for {server}: it may have expired or been revoked. Sending is paused; nothing queued is lost.

New API token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the API token for the demo community: it may have expired or been revoked. Sending is paused; nothing queued is lost.

New API token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token was refused and no new one was given: sending stays paused; click Resume sending in the Outbox pane to give a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token was refused and that is the same token: sending stays paused; click Resume sending in the Outbox pane to give a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk cannot switch servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background work did not stop in time, so this community&apos;s cache could not be closed. Quit BadgeDesk and start it with --server to connect to the other server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge requests: the open topics of the category {category}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request category: no review queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk: API token</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppSession</name>
    <message>
        <source>the local cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync cancelled; it resumes where it stopped next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>using the new token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pausing or resuming the outbox</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show actions of kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show actions in state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed, conflicting or held: waiting for you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show actions by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions of the batches whose id starts with this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member or badge…  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of a member&apos;s name, username or email, or of a badge title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show every action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditLogView</name>
    <message>
        <source>Loading the audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries match these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No actions yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln (entry|entries) · showing the newest {shown}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln (entry|entries)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Load %Ln more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Show only this batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy batch id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>audit-log-batch-{batch}.csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>audit-log-{date}.csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An export of the audit log is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln audit (entry|entries) to {path}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the audit log to {path}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the export; no file is written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every entry that matches the filters, not only those shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge / request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>badge not awardable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uploaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-by-one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state}: waits for you in the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>request #{id}: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>request #{id}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgeFiles</name>
    <message>
        <source>The badge&apos;s SVG could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the PNG image could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write {path}: the folder {folder} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write {path}: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>{badge} (draft)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} (disabled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} (discontinued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award a badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke a badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (shown to moderators in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the badge&apos;s award message to each member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message for this batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: a message for this batch instead of the badge&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count exactly what would be sent; nothing is queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close this window and open it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) read…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Queue %Ln award(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Queue %Ln revoke(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Queueing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queueing the batch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchPlanView</name>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the server&apos;s mass award (one upload, then a check of every member)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan is known once the community has been synced (what the server can do).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchTableModel</name>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No-op</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{action} (undo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>badge #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends the award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message to members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone by batch {batch}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>{category} is not a category: give its slug, as in /c/badge-requests, or its number (or nothing, for no review queue).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server k&amp;ind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored in the keyring: leave empty to keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acting &amp;username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user the key acts as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request ca&amp;tegory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. badge-requests (empty: no review queue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forum category whose open topics are badge requests: its slug, as in /c/badge-requests, or its number. Leave it empty to work without a review queue; it can be changed later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the server&apos;s address, e.g. https://forum.example.org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the API key (it is kept in the system keyring, never in the settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An API key has no spaces: copy it again, whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A {kind} server needs the username the API key acts as (for an &quot;All users&quot; key, your own username).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} cannot be a {kind} username: usernames have no spaces.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <source>The token was refused by the server (expired or revoked): sending is paused until you give a new one; nothing queued is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Certificate not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ No secure connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Token refused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionMenus</name>
    <message>
        <source>BadgeDesk: request category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forum category whose open topics are badge requests: its slug, as in /c/badge-requests, or its number. Empty: no review queue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoCommunity</name>
    <message>
        <source>The demo community server did not start ({why}): BadgeDesk works offline on the cache; start BadgeDesk again to retry.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DryRunCounts</name>
    <message>
        <source>Rows read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blank, skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended or deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already hold the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems found in the dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows that could not be used are listed here with their numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not hold the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row}: {input} — {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row}: {input} — no member with this email or username</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %Ln more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{member} holds it ×{count}: {grant} is revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %Ln more holding it several times</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) (holds|hold) the badge several times: {rule}, as listed above.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) (holds|hold) {badge} several times: {rule}, as listed above.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditMenu</name>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected rows of this pane&apos;s table (tab-separated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in this pane can be undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in this pane can be redone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take back the current card&apos;s decision, or else the last one made here (as U does)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review queue has no redo: decide the request again instead</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportMembersDialog</name>
    <message>
        <source>Export members to CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %Ln result(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Columns:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>members.csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportTask</name>
    <message>
        <source>An export of {what} is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting {what} to {path}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting {what}… {progress}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the export; no file is written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterChips</name>
    <message>
        <source>Remove this filter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterMenu</name>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discontinued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lacks badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined on or after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined on or after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined before:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined after…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined before…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen within…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone in a group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a group&apos;s members and select them all, ready for “Award badge…”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} ({state})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lacks badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No member belongs to a group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListSource</name>
    <message>
        <source>selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pasted list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undo of batch {batch}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoadFailure</name>
    <message>
        <source>Not loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect BadgeDesk to a community server (BadgeDesk or Discourse)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Read everything again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the whole community again now and remove what is gone from the server (otherwise done once a day: this server has no changes feed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award or revoke a badge for a list of members (CSV or pasted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny and return &amp;templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard &amp;shortcuts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Request category…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forum category whose open topics are badge requests (none: no review queue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About BadgeDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the folder of BadgeDesk&apos;s log file ({folder})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this server, {missing}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{batch} queued; it is sent in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk repaired its local cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete what the server no longer has?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}

Delete them now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{community} — BadgeDesk — INSECURE HTTP (token unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk — INSECURE HTTP (token unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{community} — BadgeDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file manager could be opened. BadgeDesk&apos;s log is in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberDetailPanel</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>badge #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when} by {who} — {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when} by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a member to see their badges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges of this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke grant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the selected grant of a badge (asks which, for a badge held several times)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke a grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests of this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Badges ({badges}, %Ln grant(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Badges (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{badge} (revoke queued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} ×{count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln grant(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>revoke queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grant #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Requests (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke {badge} from {member} (@{username}): {grant}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which grant?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{badge} is held %Ln time(s). Revoke the grant of:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemberListBox</name>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pasted member list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…or paste emails or usernames here, one per line or separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First row is a header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the list again with or without a header row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview of the member list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or drop a CSV file on this window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column with emails or usernames:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a member list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists (*.csv *.tsv *.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{list} cannot be used: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading {list}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pasted text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose members: open or drop a file, paste a list, or use the selection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The member selected in the member list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %Ln members selected in the member list.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>From {list}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column {number}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberSearchView</name>
    <message>
        <source>members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading members…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the members</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln+ (match|matches), counting…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln+ members, counting…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No members match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No members cached yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln (match|matches)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{count} · %Ln selected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Select all %Ln</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>badge #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Pasted list (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Saved the search “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved search “{name}” cannot be used ({error}): delete it and save the search again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the pasted list</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln not found: {names} and {more} more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln not found: {names}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln members found.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke of {badge} ({grant}) queued as {batch}; the Outbox can undo it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoking the grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln member(s) to {path}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemberStatus</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberTableModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This member is suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This member is deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{badges} (%Ln grant(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{badge} ×{count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not available)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Pending {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs your decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimating time left…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than a second left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>about %n s left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n min left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Outbox: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop sending after the current chunk; queued actions stay queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ne&amp;w batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award or revoke a badge for a list of members (Ctrl+B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop its unsent actions and reverse what it changed on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel unsent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the batch&apos;s actions the server has not seen; confirmed ones stay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport results…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV with one line per input row: row, input, member, outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show outbox items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appl&amp;y anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send with the moderator&apos;s override (suspended member, disabled badge, …)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;kip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;try failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard unsent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the selected actions the server has not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox: not loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a batch to see its actions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln action(s) (newest shown)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln action(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Outbox: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} / {total} sent · {time_left}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent (see the status bar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln applied</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln no-op</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln conflict(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln held</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Paused after {results}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent: {results}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume send&amp;ing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: nothing is sent until you resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln action(s) queued again with your override.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln action(s) skipped.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed action(s) queued again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsent action(s) discarded.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{batch}: %Ln unsent action(s) dropped; what the server confirmed stays.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsent action(s) (is|are) dropped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s) (is|are) reversed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Undo batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo {batch}? {dropped} and {reversed} on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{batch} undone: its unsent actions were dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{batch} undone: reversals queued as {undo}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export batch results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln result row(s) written to {file}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PastedListDialog</name>
    <message>
        <source>Select members from a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members to find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One username or email per line (commas and semicolons work too)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>{language} ({territory})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync interval in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often BadgeDesk syncs with the server while it is online, in seconds; 0: only when you choose File ▸ Sync now. Applies at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync &amp;interval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes at the next start of BadgeDesk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members of the demo community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Demo community members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo community is made with this many members at its first start; one made already keeps its size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard &amp;shortcuts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the keys of the review queue&apos;s commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny and return &amp;templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the reasons offered when denying or returning a request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync interval, language, demo community, keyboard shortcuts and templates</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueryChips</name>
    <message>
        <source>Status: active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lacks: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined after {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined before {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Seen within %Ln day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Group: {group}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Search members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, username or email…  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste list…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select members from a pasted list of usernames or emails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award a badge to the selected members (a batch, with a dry run first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke a badge from the selected members (a batch, with a dry run first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this search…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutHelpOverlay</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc or ? closes this help.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutMap</name>
    <message>
        <source>{action} ({key})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutSettingsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press the new key for the selected action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the selected action without a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected action its default key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give every action its default key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} and {second} are both bound to {key}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Global</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the sync; it resumes where it stopped next time</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Pending actions: %Ln</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>⚠ Insecure HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--insecure-http: the API token is sent unencrypted to {url}; anyone on the network can read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached; working from the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing {progress}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing {phase}: %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing {phase}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Full sync done: %Ln item(s) in {seconds} s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sync done: %Ln item(s) in {seconds} s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Pending actions: not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outbox could not be read; the Outbox pane says why</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Pending actions: {count} (%Ln need attention)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln action(s) failed, (conflicts|conflict) with the server or (is|are) held; (it waits|they wait) for your decision in the Outbox pane</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Changes waiting to be confirmed by the server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
