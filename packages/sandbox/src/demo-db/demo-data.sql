-- Seed rows of the demo target database (the story's test accounts and providers).
-- Runs after the applied revisions, before any pending one, so it only uses their columns.

INSERT INTO organizations (id, name, slug, created_at) VALUES
  (1, 'CredentialMate Demo Health', 'credentialmate-demo', '2025-08-20 10:00:00+00'),
  (2, 'Northside Medical Group', 'northside-medical', '2025-10-02 15:30:00+00');

INSERT INTO users (id, organization_id, email, full_name, role, hashed_password, is_active, created_at, last_login_at) VALUES
  (1, 1, 'admin@credentialmate.com', 'Platform Admin', 'admin', '$2b$12$Qm9vdHN0cmFwQWRtaW4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-08-20 10:00:00+00', '2026-02-02 16:12:00+00'),
  (2, 1, 'ops@credentialmate.com', 'Ops On-Call', 'admin', '$2b$12$T3BzT25DYWxsLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-08-21 09:00:00+00', '2026-02-03 06:20:00+00'),
  (3, 1, 'p.hilliard@credentialmate.com', 'James Hilliard', 'provider', '$2b$12$UHJvdmlkZXJIaWxsaWFyZC4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-09-25 12:00:00+00', NULL),
  (4, 2, 'coordinator@northside.example', 'Northside Coordinator', 'credentialing_coordinator', '$2b$12$Tm9ydGhzaWRlQ29vcmQuLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-10-02 15:30:00+00', '2026-01-30 14:00:00+00'),
  (5, 1, 'c1@test.com', 'Coordinator One', 'credentialing_coordinator', '$2b$12$Q29vcmRpbmF0b3JPbmUuLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-09-30 08:00:00+00', '2026-02-03 07:02:00+00'),
  (6, 1, 'c2@test.com', 'Coordinator Two', 'credentialing_coordinator', '$2b$12$Q29vcmRpbmF0b3JUd28uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u', true, '2025-11-04 08:00:00+00', '2026-01-29 11:45:00+00');

INSERT INTO providers (id, organization_id, title, first_name, last_name, npi, specialty, email, phone, date_of_birth, created_at, updated_at) VALUES
  (1, 1, 'Dr.', 'Raj', 'Seghal', '1234567891', 'Internal Medicine', 'r.seghal@example.org', '+1-205-555-0141', '1978-04-12', '2025-09-25 12:00:00+00', '2026-01-20 09:12:00+00'),
  (2, 1, 'Dr.', 'James', 'Hilliard', '1234567892', 'Ophthalmology', 'j.hilliard@example.org', '+1-205-555-0187', '1971-11-03', '2025-09-25 12:05:00+00', '2026-01-28 16:40:00+00'),
  (3, 1, NULL, 'Perla', 'Dalawari', '1234567893', 'Cardiology', 'p.dalawari@example.org', '+1-205-555-0112', '1984-06-21', '2025-10-14 10:30:00+00', '2025-12-02 13:00:00+00'),
  (4, 1, 'Dr.', 'Anne', 'Hilliard', '1234567894', 'Ophthalmology', 'a.hilliard@example.org', '+1-205-555-0190', '1980-02-17', '2025-11-18 15:00:00+00', '2025-11-18 15:00:00+00'),
  (5, 2, 'Dr.', 'Marcus', 'Okafor', '1234567895', 'Family Medicine', 'm.okafor@northside.example', NULL, NULL, '2025-10-03 09:00:00+00', '2025-10-03 09:00:00+00');

INSERT INTO licenses (id, provider_id, organization_id, state, license_type, license_number, status, issue_date, expiration_date) VALUES
  (1, 2, 1, 'AL', 'IMLC', '41558', 'active', '2023-01-01', '2025-12-31'),
  (2, 2, 1, 'GA', 'MD', '073114', 'active', '2022-03-15', '2027-03-31'),
  (3, 1, 1, 'AL', 'MD', '32977', 'active', '2021-07-01', '2026-06-30'),
  (4, 1, 1, 'TN', 'MD', '58201', 'expired', '2019-05-01', '2025-04-30'),
  (5, 3, 1, 'AL', 'MD', '40112', 'active', '2024-02-01', '2026-03-15'),
  (6, 3, 1, 'US', 'DEA', 'FD1234563', 'active', '2024-02-10', '2027-02-28'),
  (7, 4, 1, 'FL', 'MD', 'ME152207', 'active', '2024-01-31', '2026-01-31'),
  (8, 5, 2, 'MS', 'MD', '27114', 'active', '2023-09-01', '2026-09-30');

INSERT INTO coordinator_actions (organization_id, coordinator_user_id, provider_id, action_type, details, created_at) VALUES
  (1, 5, 2, 'reminder_sent', '{"license_id": 1, "channel": "email"}', '2025-11-30 15:00:00+00'),
  (1, 5, 2, 'document_requested', '{"document": "IMLC renewal application"}', '2025-12-10 10:20:00+00'),
  (1, 6, 1, 'status_changed', '{"license_id": 4, "from": "active", "to": "expired"}', '2025-05-01 00:05:00+00'),
  (1, 5, 3, 'note_added', '{"note": "DEA renewal paperwork received"}', '2026-01-22 13:45:00+00');

INSERT INTO conversations (id, organization_id, provider_id, subject, created_by_id, created_at, last_message_at) VALUES
  (1, 1, 2, 'IMLC Alabama renewal', 5, '2025-12-10 10:21:00+00', '2025-12-12 08:03:00+00');

INSERT INTO messages (conversation_id, sender_user_id, body, created_at, read_at) VALUES
  (1, 5, 'Hi Dr. Hilliard, your IMLC Alabama license (IMLC 41558) expires on December 31. Do you plan to renew?', '2025-12-10 10:21:00+00', '2025-12-11 19:30:00+00'),
  (1, 3, 'Yes, please start the renewal. I will upload the CME certificates this week.', '2025-12-12 08:03:00+00', NULL);

INSERT INTO notifications (user_id, event_type, title, body, read_at, created_at) VALUES
  (5, 'credential_expiring_30_days', 'IMLC AL license expires in 30 days', 'Dr. Hilliard - IMLC 41558', '2025-12-01 09:00:00+00', '2025-12-01 06:00:00+00'),
  (5, 'provider_uploaded_document', 'Dr. Seghal uploaded a document', 'Board certification (PDF)', NULL, '2026-01-30 17:12:00+00');

SELECT setval('organizations_id_seq', (SELECT max(id) FROM organizations));
SELECT setval('users_id_seq', (SELECT max(id) FROM users));
SELECT setval('providers_id_seq', (SELECT max(id) FROM providers));
SELECT setval('licenses_id_seq', (SELECT max(id) FROM licenses));
SELECT setval('conversations_id_seq', (SELECT max(id) FROM conversations));
