// The kernel and the published contracts, as the application itself sees them.
global using Rounds.Web.Features.Audit.Contracts;
global using Rounds.Web.Features.Identity.Contracts;
global using Rounds.Web.Features.Learning.Contracts;
global using Rounds.Web.Features.Notifications.Contracts;
global using Rounds.Web.Features.Screening.Contracts;
global using Rounds.Web.Features.Shared;
global using Rounds.Web.Tenancy;
