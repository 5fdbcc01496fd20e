// The members page's dialogs, a chunk of their own: the page loads them when
// one is first opened, since most visits open none.
export { confirmDialog } from '../ui/dialog';
export { openInvitationEditor, openInvitePanel, resendInvitation } from './invitations-panel';
export { openMemberProjects } from './member-projects';
