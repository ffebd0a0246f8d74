DELETE FROM auth.user_roles WHERE role = 'moderator';
UPDATE auth.users SET default_role = 'user' WHERE default_role = 'moderator';
DELETE FROM auth.roles WHERE role = 'moderator';
