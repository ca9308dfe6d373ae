-- name: windows_msiexec_dllregisterserver
-- title: Windows MSIExec DLLRegisterServer
-- description: The following analytic detects the execution of msiexec.exe
--   with the /y switch parameter, which enables the loading of
--   DLLRegisterServer. This detection leverages data from Endpoint
--   Detection and Response (EDR) agents, focusing on process command-line
--   arguments and parent-child process relationships. This activity is
--   significant because it can indicate an attempt to register malicious
--   DLLs, potentially leading to code execution or persistence on the
--   system. If confirmed malicious, this could allow an attacker to execute
--   arbitrary code, escalate privileges, or maintain persistence within the
--   environment.
-- author: Splunk Threat Research Team (Splunk ESCU, version 4); SQL by evtriage
-- mitre: T1218.007
-- tactic: Defense Evasion
-- kill_chain_phase: Exploitation
-- nist: DE.CM
-- cis: CIS 10
-- threat_actors: Machete, Molerats, Rancor, TA505, ZIRCONIUM
-- data_sources: CrowdStrike ProcessRollup2, Sysmon EventID 1,
--   Windows Event Log Security 4688
-- known_false_positives: This analytic will need to be tuned for your
--   environment based on legitimate usage of msiexec.exe. Filter as needed.
-- references: https://attack.mitre.org/techniques/T1218/007/
-- impact: 70
-- confidence: 50
-- risk_message: An instance of $parent_process_name$ spawning $process_name$
--   was identified on endpoint $dest$ by user $user$ attempting to register
--   a file.
-- notable_fields: user, dest
-- output: dest, user, parent_process_name, process_name, original_file_name,
--   process, process_id, parent_process_id, count, firstTime, lastTime
-- spl: | tstats `security_content_summariesonly` count min(_time) as firstTime
--   max(_time) as lastTime from datamodel=Endpoint.Processes where
--   `process_msiexec` Processes.process IN ("*/y*", "*-y*") by
--   Processes.dest Processes.user Processes.parent_process_name
--   Processes.process_name Processes.original_file_name Processes.process
--   Processes.process_id Processes.parent_process_id
--   | `drop_dm_object_name(Processes)`
--   | `security_content_ctime(firstTime)`
--   | `security_content_ctime(lastTime)`
--   | `windows_msiexec_dllregisterserver_filter`
--
-- The SPL, clause by clause:
--   `process_msiexec` is (process_name=msiexec.exe OR
--   original_file_name=msiexec.exe); Splunk compares field values without
--   regard to case, hence COLLATE NOCASE.
--   process IN ("*/y*", "*-y*") is a case-insensitive wildcard anywhere
--   in the command line: LIKE '%/y%' (SQLite's LIKE ignores ASCII case).
--   The by-clause groups on eight fields; a field a source lacks (4688 has
--   no original_file_name) is 'unknown', as the CIM data model fills it,
--   so the event is kept, never dropped.  tstats returns groups sorted by
--   the by-fields.  security_content_ctime prints %m/%d/%Y %H:%M:%S.
--   The _filter macro is the filter table (evtriage filter), applied by
--   evtriage to these output rows.
SELECT
	coalesce(dest, 'unknown') AS dest,
	coalesce(user, 'unknown') AS user,
	coalesce(parent_process_name, 'unknown') AS parent_process_name,
	coalesce(process_name, 'unknown') AS process_name,
	coalesce(original_file_name, 'unknown') AS original_file_name,
	coalesce(process, 'unknown') AS process,
	coalesce(process_id, 'unknown') AS process_id,
	coalesce(parent_process_id, 'unknown') AS parent_process_id,
	count(*) AS count,
	ctime(min(_time)) AS firstTime,
	ctime(max(_time)) AS lastTime,
	min(_time) AS _first,
	group_concat(id) AS _rows
FROM processes
WHERE (process_name = 'msiexec.exe' COLLATE NOCASE
	OR original_file_name = 'msiexec.exe' COLLATE NOCASE)
  AND (process LIKE '%/y%' OR process LIKE '%-y%')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
