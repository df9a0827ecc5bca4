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
    <message>
        <source>Group members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand-over</source>
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
        <source>{reason} (skip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} (apply anyway or skip)</source>
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
        <source>BadgeDesk cannot switch servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background work did not stop in time, so this community&apos;s cache could not be closed. Quit BadgeDesk and start it with --server to connect to the other server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{error} Working offline on the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk cannot start</source>
        <translation type="unfinished"></translation>
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
        <source>A scheduled run is sending this community&apos;s actions: this window sends after it.</source>
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
        <source>Batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions of the batches whose name contains this, or whose id starts with it</source>
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
    <message>
        <source>Show only this batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy batch id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the corrected batch ({batch})</source>
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
        <source>{batch}
Batch id: {id}</source>
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
    <name>BadgeCanvas</name>
    <message>
        <source>Badge preview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgeDesigner</name>
    <message>
        <source>Badge properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: {step}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redone: {step}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to redo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untitled badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge designer — {title}[*]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The badge cannot be drawn: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: {problem} (%n more marked beside the fields)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved on this computer: publish it to create it on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued — it is sent with the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to send: the server has this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone changed this badge on the server since you started editing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes to “{title}” before closing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes to this badge before closing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
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
    <name>BadgeListView</name>
    <message>
        <source>Loading badges…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show badges in state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show badges in category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sho&amp;w:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Duplicate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group check…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the badge&apos;s holders with the members of its group, and fix either list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;holders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the members who hold the badge in the Members pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disable (pause awarding)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dis&amp;continue (retire for good)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default award message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not let badges be created or changed from BadgeDesk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln badge(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No badges match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discontinue badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing the badge&apos;s state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discontinue “{badge}”? Members who hold it keep it, but it can never be awarded again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Discontinue “{badge}”? %Ln member(s) (keeps|keep) it; no one can be awarded it any more.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>“{badge}” → draft: queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” → published: queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” → disabled: queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” → discontinued: queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” is published; it is created on the server with the outbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>publishing the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What members receive with a badge that has no message of its own.
Placeholders: {member} {username} {badge} {community} {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the default award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default award message is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;state</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgePicker</name>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Badge (type to filter):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgeState</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discontinued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgeTableModel</name>
    <message>
        <source>draft: kept on this computer until published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new: not saved on the server</source>
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
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{holders} (%Ln grant(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln grant(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) (holds|hold) it, {grants}: some hold it several times</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>nobody</source>
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
        <source>Revoke from {batch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award another badge to members of {batch}</source>
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
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a badge (type to filter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A revoke needs a reason: type why the badge is taken back.</source>
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
        <source>&amp;Notify the members</source>
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
    <message>
        <source>Why (shown to moderators in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the badge is taken back (required: kept in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the server first: it is not known yet whether it can tell the members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server cannot tell a member that their badge was revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each member is told that their badge was revoked, and why</source>
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
        <source>Batch</source>
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
        <source>Undone by {batch}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecksPanel</name>
    <message>
        <source>Checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to check: no banner text or glyph.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Checks — %n to look at</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ColourButton</name>
    <message>
        <source>Choose the {colour}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictBanner</name>
    <message>
        <source>Keep my version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this version over the one on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop this edit and open the server&apos;s version</source>
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
        <source>Badge requests: the open topics of the category {category}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request category: no review queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forum category whose open topics are badge requests: its slug, as in /c/badge-requests, or its number. Empty: no review queue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CorrectBatchDialog</name>
    <message>
        <source>Correct a batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The batch&apos;s members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the batch&apos;s badge from the checked members, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ward another badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award another badge to the checked members, with one message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the batch&apos;s members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This batch is no longer in the outbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct {batch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{chosen} of %Ln member(s) checked</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>    (no template: type the reason below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More about the reason (optional with a template)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message the member receives (nothing is sent when empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason (1–9 picks a template):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message to the member ({member}, {badge}, {reason}, {moderator}, {community}):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More about the reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message to the member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny — {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return — {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deny — %n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Return — %n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Deny the request of {member} for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return the request of {member} for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deny %n request(s) with the same reason and message.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Return %n request(s) with the same reason and message.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{member} will read:
{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message is sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecisionTemplatesDialog</name>
    <message>
        <source>Jane Doe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conference Speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alice Moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hi {member},

{reason}

— {moderator}, {community}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a template (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected template (Del in the list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace every template with the built-in ones (Cancel undoes it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What moderators pick it by, e.g. “Criteria not met”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template for decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Short; moderators see it in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the member receives (optional).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholders: {names}. {reason} is the final reason: the template&apos;s, then what the moderator adds. Write {{ and }} for literal braces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert a placeholder into the message at the cursor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview of the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;ecision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Me&amp;ssage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny · {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return · {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message: the member receives none with this template.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preview appears when the message&apos;s placeholders are right.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoCommunity</name>
    <message>
        <source>The demo community server did not start ({why}): BadgeDesk works offline on the cache; Restart demo server (File menu) tries again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoRestart</name>
    <message>
        <source>Res&amp;tart demo server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the demo community&apos;s server again, on its data, and reconnect to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarting the demo server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo community server stopped (exit status {status}): BadgeDesk works offline on the cache. Restart demo server starts it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Starting the demo community (the first start creates %Ln member(s))…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Restarting the demo community server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo community server is running again; syncing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesignerExport</name>
    <message>
        <source>Export PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {files} to {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesignerSession</name>
    <message>
        <source>This server keeps no versions of badges: BadgeDesk looks for an edit made elsewhere just before saving, but one made in the moment between that look and the save would be overwritten.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept on this computer until published: {server} has no drafts. Saving sends nothing; Publish creates the badge on the server, where members see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The award message is kept on this computer: {server}&apos;s badges have none. It goes to each member awarded as a private message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The award message is kept on this computer: {server}&apos;s badges have none. This connection cannot send private messages, so members do not get it yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” is published; it is created on the server with the outbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” is saved on this computer; it reaches the server when you publish it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” saved; it is sent with the outbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}”: nothing to send, the server has this version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n badge(s) of the family (is|are) saved on this computer; each reaches the server when you publish it.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n badge(s) of the family saved; they are sent with the outbox.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The family was not saved: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved on the server: {why}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesignerSlider</name>
    <message>
        <source>Gradient angle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ring width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emblem size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesignerToolbar</name>
    <message>
        <source>Designer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the badge (Ctrl+S); it is sent with the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the badge and create it on the server, published (members see it); it is sent with the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always {size} px, and also:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{size} × {size} px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make family…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make bronze, silver and gold badges from this design</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo {step}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo {step}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{action} ({keys})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{keys} or {key}</source>
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
        <source>Do not hold it: skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To revoke</source>
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
    <name>DueProgramsStrip</name>
    <message>
        <source>{program} ({period})</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n program(s) (is|are) due: {programs}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Due programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other due programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put this away until another program is due (the programs stay due)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run {program} ({period})…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its dry run, for the period that ended</source>
        <translation type="unfinished"></translation>
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
    <name>EmblemSection</name>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Glyph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} cannot be read: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is larger than {size} MB, the most an image may be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emblem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Glyph colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>glyph colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emblem size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PNG, JPEG or SVG; scripts and links in an SVG are removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed from the image for safety: {parts}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emblem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>glyph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import an emblem image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.svg);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imported image</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Image imported; %n unsafe part(s) removed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Image imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>importing the image</source>
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
    <name>FamilyDialog</name>
    <message>
        <source>Bronze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} — {tier}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a family — {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untitled badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Three tiers of this badge, in bronze, silver and gold. Members with any kind of colour vision should tell them apart, so the tiers also differ by their rings or their shape.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ring count (1, 2, 3 rings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape (circle, hexagon, star)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiers differ by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Can members tell the tiers apart?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the three badges</source>
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
    <name>GettingStarted</name>
    <message>
        <source>{first}, then {second}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GettingStartedPanel</name>
    <message>
        <source>Getting started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Getting started with the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This demo community runs on a small server on this computer: made-up members, about 60 badges and a queue of badge requests. Nothing you do here reaches a real community, so try anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help ▸ User guide tells the rest; Help ▸ Getting started brings this back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put this panel away (Help ▸ Getting started shows it again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Five things to try</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GlyphPicker</name>
    <message>
        <source>Search glyphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search icons: trophy, star, heart…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Glyphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected: {glyph}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No glyph selected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GoneRevoke</name>
    <message>
        <source>Why they lose the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: certification expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke &amp;reason:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GroupCheckDialog</name>
    <message>
        <source>Group check: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group that should hold the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holders not in the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group members without the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the badge&apos;s award message to each member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chec&amp;k again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No group has the badge&apos;s name: choose one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested: the group has the badge&apos;s name. Choose another if it is not the one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the badge&apos;s group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Holders not in the group (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Group &amp;members without the badge (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A&amp;dd the %Ln holder(s) to the group</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>R&amp;emove the %Ln member(s) from the group</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Award the badge to the %Ln member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Re&amp;voke it from the %Ln holder(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The badge goes with no group: there is nothing to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group “{group}” is not in the local copy of the community.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The holders of the badge and the members of “{group}” are the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) of the two lists wait in the outbox already.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing the batch</source>
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
        <source>Add to the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Add %Ln holder(s) of “{badge}” to the group “{group}” on the server?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Remove from the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %Ln member(s) without “{badge}” from the group “{group}” on the server?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The change of the group is queued; it is sent in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queueing the batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close this window and open it again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Hand over: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New holder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A link to a topic or post of the forum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server keeps only a link to a topic or post as a grant&apos;s reason; other text stays in BadgeDesk&apos;s audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the title moves (kept with the grant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds it now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alumni badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happens, in this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before each step the server is read again: if it shows another holder, nothing is revoked and the outbox shows who holds it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hand over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody, as this computer knows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member}, since {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) (holds|hold) it: {members}. A title is handed over from one holder: revoke the others first.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>None: the previous holder keeps nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the title&apos;s holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the new holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{alumni}” is granted to {member}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” is granted to {member}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member}&apos;s “{badge}” is revoked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” is not marked one holder at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member} holds it already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queueing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: the outbox hands “{badge}” over to {member} in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queueing the hand-over</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Getting started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the demo community is, and five things to try</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the review queue&apos;s keys over the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide, on this computer (no network needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{approve} or {deny}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the review queue: approve or deny each badge request in turn; {help} lists every key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See who did what, when and why in the Audit log, and export it as CSV.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a member: type part of a name, username or email in the Members pane&apos;s search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award a badge to a list of members: paste a few usernames into a new batch; its dry run shows what would be sent before anything is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch your work reach the server in the Outbox: queued, sent, then confirmed, exactly once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Design a badge: New badge in the Badges pane opens the designer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
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
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server, sent from here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awards and revokes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revokes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member, badge, moderator or reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sear&amp;ch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bad&amp;ge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mo&amp;derator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correc&amp;t batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke from some of the batch&apos;s members, or award them another badge (Alt+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the award history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No events match these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No awards yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s) · showing the newest {shown}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Correct this batch…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <source>Circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shield</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hexagon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Star</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ribbon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rounded square</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Radial gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fill colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient angle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Angle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ring count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ring colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ring colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ring width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Banner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No banner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>banner text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Banner text colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>banner text colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Banner colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>banner colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text straight on the badge, without the ribbon behind it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fill type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>banner band</source>
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
        <source>H&amp;istory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs</source>
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
        <source>History</source>
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
        <source>Trust level:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of the last sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on the server</source>
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
        <source>Open this member&apos;s profile on the server in the browser ({key})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({level})</source>
        <translation type="unfinished"></translation>
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
    <name>MemberMenu</name>
    <message>
        <source>&amp;Open on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;email address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Award badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the username {username}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the email address {email}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberPicker</name>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username, name or email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The members could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active member matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) match: pick one from the list.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemberProfile</name>
    <message>
        <source>Select a member first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known once BadgeDesk has synced with the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server shows no member profiles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A deleted member has no profile on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {url} in the browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No browser could open {url}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberSearchView</name>
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
        <source>The saved search “{name}” has a rule with conditions on posts or trust level, which this community&apos;s server does not list: it cannot select anyone here.</source>
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
        <source>reading the pasted list</source>
        <translation type="unfinished"></translation>
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
    <name>MetadataPanel</name>
    <message>
        <source>bronze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What members see first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the badge stands for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a member does to earn it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the community&apos;s default message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message a member receives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholders: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member} would read:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no preview until the placeholders are fixed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
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
        <source>{batch} - results.csv</source>
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
    <message>
        <source>{batch} queued; it is sent in the background.</source>
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
        <source>Correct…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke from some or all of its members, or award them another badge</source>
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
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent (see the status bar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume sendin&amp;g</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: nothing is sent until you resume</source>
        <translation type="unfinished"></translation>
    </message>
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
        <source>Outbox: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} / {total} sent · {time_left}</source>
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
</context>
<context>
    <name>PagedLog</name>
    <message>
        <source>Load more</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Load %Ln more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PaneRules</name>
    <message>
        <source>Rule builder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved rule “{name}” cannot be read: delete it and build it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule “{name}” has conditions on posts or trust level, which this community&apos;s server does not list: it cannot select anyone here. Edit it in the rule builder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This rule has conditions on posts or trust level, which this community&apos;s server does not list: it cannot select anyone here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PartEditor</name>
    <message>
        <source>All of these (AND)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any of these (OR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ot: the opposite of this group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No&amp;t: members this condition does not select</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words to find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words the name, username or email start with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Con&amp;dition:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;atus:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awarded:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number o&amp;f posts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} ({state})</source>
        <translation type="unfinished"></translation>
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
    <name>PostsEditor</name>
    <message>
        <source>Posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most this many posts</source>
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
    <name>PreviewsPanel</name>
    <message>
        <source>As members see it: real size, on light and dark pages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileSwitcher</name>
    <message>
        <source>Co&amp;mmunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;witch to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch &amp;community…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profiles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The open community ({shortcut} to switch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The open community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The community {name} was removed: its cache and keyring entry are deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is open in another BadgeDesk or a command is running on it: close it there, or let the command finish, first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting its cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The community {name} was not removed: {why} It stays in the list: remove it again once that is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The community {name} is being removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is open in another BadgeDesk window: brought to the front.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk cannot switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk cannot open the community {name}: its folder {folder} cannot be used ({why}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another BadgeDesk has the community {name} open and did not answer. Close it (or wait for it to finish), then try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfilesDialog</name>
    <message>
        <source>Communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of communities could not be saved ({why}): BadgeDesk tries again when it closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each community has its own cache, API key and saved searches and rules. Switch with File ▸ Community ▸ Switch to, or the list in the status bar.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Switch to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (the demo community)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({url})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{community}, open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{community}, being removed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the community:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the community {name}?

Its cache ({folder}) and its API key in the system keyring will be deleted, with any actions still queued there. The server is not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove community</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramEditorDialog</name>
    <message>
        <source>New program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit “{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Top contributor of the week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source of candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only candidates matching a rule saved in the rule builder (Members pane, Rules)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the badge it awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a former holder keeps when the badge moves on to the next winner (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the badge&apos;s own award message. It may name {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So&amp;urce:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;onditions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alumni badge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cadenc&amp;e:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the program (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: every candidate of the source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As saved with the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
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
    <message>
        <source>Choose the badge the program awards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That saved rule cannot be read any more: choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the program</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramHistoryPanel</name>
    <message>
        <source>Runs of the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click: show the run&apos;s batch in the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Winners by period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run histor&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Winners by period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a program to see its runs and winners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln winner(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{runs}, {winners}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the program&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramRunDialog</name>
    <message>
        <source>Run {program}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop reading the source (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca&amp;ndidates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows that match no member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members who qualify in the next 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the source again and make the dry run again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the server&apos;s activity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the source…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped: nothing was read. Read again when you are ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{row}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not matched (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>member #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Qualify in the next 30 days (%Ln)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Re&amp;voke the badge of the %n member(s) gone from the list</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>None: the awards carry no message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue the hand-over</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Queue %n award(s) and the revokes</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Queue %Ln award(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Say why they lose the badge first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the r&amp;un</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to award: record that the period was run, so it is no longer due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This program no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) tie at the cut-off: tick those who get the badge ({chosen} ticked).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) to award for {period}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing new to award for {period}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known once the community has been synced (what the server can do).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: the hand-over to {member}. The outbox sends it in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: {batches}. The outbox sends it in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded: nothing new to award for {period}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gives “{badge}”; the previous holder keeps “{alumni}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gives “{badge}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the program&apos;s source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queueing the run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramRunModel</name>
    <message>
        <source>To award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tie: you decide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Below the cut-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awarded this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already holds the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not meet the conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended or deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gone from the list: holds the badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gone from the list: revoked this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gone from the list: does not hold it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason the award carries</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramTableModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cadence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>badge #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}, {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due: {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alumni badge: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgramTexts</name>
    <message>
        <source>Weekly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarterly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leaderboard: the top members of the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most liked posts of the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone who posted in a topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone who posted in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A list from another system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenure: anniversaries in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>likes received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>solutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top {top} by {measure}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %n most liked post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Everyone who posted in “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone who posted in topic #{topic}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone who posted between {starts} and {ends}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) a member</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{source}, at least %n post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgramsPane</name>
    <message>
        <source>&amp;New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edi&amp;t…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Du&amp;plicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;un…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} ({keys})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the program; its runs stay in the history (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the program: its dry run first, then a batch ({keys})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro&amp;grams:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln program(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{programs}; %n due to run.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{programs}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No programs yet. New… makes one: a source of candidates, a badge and a cadence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program “{name}” created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program “{name}” saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program “{name}” duplicated as “{copy}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the program “{name}”? It no longer runs and its name is free; its runs and the batches they queued stay in the history and the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program “{name}” deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing the programs</source>
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
    <message>
        <source>Rule: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule: {name} (changed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule (not saved)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuitWarning</name>
    <message numerus="yes">
        <source>%Ln action(s) (is|are) still waiting to be sent. They stay saved and are sent the next time BadgeDesk connects.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Quit BadgeDesk?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is lost whether you quit now or wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Chart of the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revokes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A member in several groups counts in each of them, so the groups add up to more than the total: their bars stand side by side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The chart shows the %n largest series; the table lists them all.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Total · {period}: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{series} · {period}: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BadgeDesk report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportTableModel</name>
    <message>
        <source>Q{quarter} {year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{month} {year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week {week}, {year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} to {last} (only these days of the period are in the range)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revokes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the table as CSV, or the chart as a PNG image or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart as &amp;PNG image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart as &amp;SVG drawing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Perio&amp;d:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First da&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Last day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cou&amp;nt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spli&amp;t:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop counting this report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln revoke(s) in this period.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln award(s) in this period.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{count} {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>report-{first}-to-{last}.{extension}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the report&apos;s table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported the report (%Ln period(s)) to {path}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting the report to {path}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the chart to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestCard</name>
    <message>
        <source>Open evidence &amp;link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>@{username} · member since {date} ({age} before asking) · {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This member is not in the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Holds %n badge(s): {badges}, and {more} more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Holds %n badge(s): {badges}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Holds no badges yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Request #{id} for {badge}, {when} — and %n duplicate(s) (one decision settles all)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Request #{id} for {badge}, {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no note)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No evidence link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score {total}: {parts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No criteria given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the decision…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve again (A) to award the badge after all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped for now; still pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending: A approve · D deny · R return · S skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} (draft)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge} (published)</source>
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
</context>
<context>
    <name>ReviewDecisions</name>
    <message>
        <source>Select pending requests to approve (Shift+click or Ctrl+click).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Approve %n request(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cannot be approved and stay in the queue:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>None of the %n selected request(s) can be approved.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Approve the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who} decided: {decision}. Only “{follow}” ({key}) settles the rest without contradicting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another moderator decided: {decision}. Only “{follow}” ({key}) settles the rest without contradicting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request #{id} stays decided on the server (it cannot be reopened from here) and its award is revoked: only approving again ({key}) is left, which awards the badge again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already decided: {status} U undoes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve again of {member}&apos;s request for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: {what}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approving again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as request #{id}, {decision} by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select pending requests first (Shift+click or Ctrl+click).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing of yours was applied here: another moderator decided first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undoing the {what}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot undo the {what}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: the {what} was dropped before it was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: the {what} is reversed (badge revoked, reason “undo”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: the {what} had changed nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n could not be undone: {why}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>undo decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve of {member}&apos;s request for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny of {member}&apos;s request for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return of {member}&apos;s request for {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>approve of %n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>deny of %n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>return of %n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return</source>
        <translation type="unfinished"></translation>
    </message>
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
</context>
<context>
    <name>ReviewGroupModel</name>
    <message>
        <source>Requested</source>
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
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Decided by {who} · %n left to settle</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Decided by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Decided by someone else · %n left to settle</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Decided by someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended member</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · undo queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · undoing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverted · award revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · undo refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved again · queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved again · sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved again · sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved again · already held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved again · refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved · queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied · undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied · sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied · refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied · queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned · undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned · sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned · refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned · queued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewMenu</name>
    <message>
        <source>&amp;Open the member on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deny…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Return…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueueView</name>
    <message>
        <source>Oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highest score first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order of requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show requests for badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading requests…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcuts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or&amp;der:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bad&amp;ge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln to decide</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No pending requests. The queue is clear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All badges ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no pending requests)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every request in this view is decided.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a web link, not opened: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{command} ({key})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleBuilderDialog</name>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sav&amp;ed rules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rena&amp;me…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Du&amp;plicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add condit&amp;ion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a condition to the current group (Insert)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add gro&amp;up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a group of conditions: AND, OR, NOT (Ctrl+G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the current condition or group (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this rule under its name, or name it (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;how members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the members this rule selects (Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved rule “{name}” cannot be read: delete it and build it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the rule being built? It has not been saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the changes to the rule “{name}”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the rule “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted the rule “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleCounter</name>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This community&apos;s server does not list posts or trust levels: a condition on them selects no one here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) match this rule.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not count the members: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleParts</name>
    <message>
        <source>Joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, username or email</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln week(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln month(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln year(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>at any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in the last {distance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than {distance} ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on or after {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from {first} to {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>between {far} and {near} ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in a period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen at least once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status is {statuses}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In group {group}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds {badge}, awarded {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level is {levels}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, username or email matches “{text}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not: {condition}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrote at least %Ln post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote at most %Ln post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote from {low} to %Ln post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>None of these (NOT OR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any of these (OR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not all of these (NOT AND)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All of these (AND)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <source>Ran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a hand-over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing new to award</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SavedSearchesDialog</name>
    <message>
        <source>Saved searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Saved searches:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rena&amp;me…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected search another name (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected search (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename saved search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete saved search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed “{old}” to “{new}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted the saved search “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the saved search “{name}”? This cannot be undone.</source>
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
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build a rule, or show the members a saved rule selects (Ctrl+Shift+F)</source>
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
        <source>&amp;Rename or delete…</source>
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
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return to the member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the last decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SizePreview</name>
    <message>
        <source>{size} px</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Smoke</name>
    <message numerus="yes">
        <source>smoke: ok, %Ln member(s) synced in {seconds} s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>smoke: failed: the demo community was not synced after {seconds} s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoke: failed: the demo server did not stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoke: failed: a window asks: {title}: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoke: failed: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoke: failed: the first sync failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoke: failed: a file BadgeDesk ships is missing: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceFields</name>
    <message>
        <source>Usernames, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ran&amp;k by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Top (ties are shown):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xclude groups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exclude use&amp;rnames:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Periods whose &amp;winners are left out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out the members this program awarded in that many last periods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Top posts to choose from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a topic by its title or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words of its title, or its number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a &amp;topic (title or number):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hosen topic:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At &amp;least this many posts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A one-off program reads the posts between these two times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Un&amp;til:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File or folder of the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV or JSON file, or a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read on every run; of a folder, its newest file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bro&amp;wse file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose fol&amp;der…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: found by its header (email, username…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>email address or username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>external id (one request to the server each)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External ids: the id the other system signs members in with (single sign-on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File or folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;lumn:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matc&amp;h rows by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Years a member:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen &amp;within this many days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} (this server cannot read it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{measure} (this server does not count them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic #{number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>external id (this server cannot find members by one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the topic and choose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window must end after it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the file or folder the other system writes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where the program&apos;s candidates come from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type words of the topic&apos;s title, or its number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for “{query}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server cannot tell who posted in a topic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{title} (#{number}, %Ln post(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln topic(s) found.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>the topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder the other system writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list the other system writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists (*.csv *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpanEditor</name>
    <message>
        <source>at any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in the last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than … ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on or after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>between</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>years</source>
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
        <source>and</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
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
<context>
    <name>TemplatePicker</name>
    <message>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this design as a template of yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (yours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>template “{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started from the template “{name}”. Ctrl+Z goes back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the template “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving the template</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TitleActions</name>
    <message>
        <source>&amp;One holder at a time…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one member holds the badge at a time; the previous holder keeps an alumni badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand o&amp;ver…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the badge to the next member; the previous holder gets the alumni badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holders by &amp;period…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who held the badge in each week, month, quarter or year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” is held by one member at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” may be held by any number of members again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving how the badge is held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hand-over of “{badge}” is queued; it is sent in the background.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TitleHoldersDialog</name>
    <message>
        <source>Holders by period: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Periods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Periods:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holders by period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed over by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the hand-overs sent from this computer and the badge&apos;s grants as last synced (a title handed over elsewhere shows its holder since their grant).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds it now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has held this badge yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the holders by period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TitleMarkDialog</name>
    <message>
        <source>One holder at a time: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one member holds “{badge}” at a time. Hand over… moves it to the next member; the previous holder gets the alumni badge, and then their grant is revoked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;One holder at a time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alumni badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alumni badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alumni badge (the previous holder keeps it):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrustLevels</name>
    <message>
        <source>new user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>basic user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regular</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;0: new user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;1: basic user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;2: member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;3: regular</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;4: leader</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserGuideDialog</name>
    <message>
        <source>BadgeDesk user guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ontents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contents of the user guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide is missing from this installation: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WinnerTableModel</name>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member #{id}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
