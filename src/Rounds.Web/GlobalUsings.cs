// The tenancy kernel, the shared kernel and every area's published contracts are what any area may use
// (docs/decisions/0010-areas-and-contracts.md); everything else of an area is reached only from inside it,
// which tests/Rounds.Architecture.Tests checks on the compiled code.
global using Rounds.Web.Features.Audit.Contracts;
global using Rounds.Web.Features.Identity.Contracts;
global using Rounds.Web.Features.Learning.Contracts;
global using Rounds.Web.Features.Notifications.Contracts;
global using Rounds.Web.Features.PressRoom.Contracts;
global using Rounds.Web.Features.Screening.Contracts;
global using Rounds.Web.Features.Shared;
global using Rounds.Web.Features.Shared.Time;
global using Rounds.Web.Tenancy;
