using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembershipResidenciesProgrammesRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "GrantsCourseId",
                table: "MembershipEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "HostOrganizationId",
                table: "MembershipEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LearningCourseGrants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CourseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    GrantKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LearningCourseGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LearningCourseGrants_Course_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Course",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipEventTracks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipEventTracks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipEventTracks_MembershipEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "MembershipEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipPendingRefunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreditNotesSeen = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentIntent = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Parts = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CancelsRegistrationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    StripeRefundId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipPendingRefunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipPendingRefunds_MembershipOrders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "MembershipOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipEventSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Speaker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Room = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: true),
                    SeatsTaken = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipEventSessions", x => x.Id);
                    table.CheckConstraint("CK_MembershipEventSessions_Seats", "\"SeatsTaken\" >= 0 AND (\"Capacity\" IS NULL OR \"SeatsTaken\" <= \"Capacity\")");
                    table.ForeignKey(
                        name: "FK_MembershipEventSessions_MembershipEventTracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "MembershipEventTracks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MembershipEventSessions_MembershipEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "MembershipEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipSessionSeats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TakenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipSessionSeats", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipSessionSeats_MembershipEventSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "MembershipEventSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MembershipSessionSeats_MembershipRegistrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "MembershipRegistrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEvents_HostOrganizationId",
                table: "MembershipEvents",
                column: "HostOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_LearningCourseGrants_CourseId",
                table: "LearningCourseGrants",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_LearningCourseGrants_GrantKey",
                table: "LearningCourseGrants",
                column: "GrantKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LearningCourseGrants_OrganizationId_UserId",
                table: "LearningCourseGrants",
                columns: new[] { "OrganizationId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEventSessions_EventId_StartsAt",
                table: "MembershipEventSessions",
                columns: new[] { "EventId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEventSessions_TrackId",
                table: "MembershipEventSessions",
                column: "TrackId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEventTracks_EventId_Name",
                table: "MembershipEventTracks",
                columns: new[] { "EventId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPendingRefunds_OrderId",
                table: "MembershipPendingRefunds",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPendingRefunds_State_CreatedAt",
                table: "MembershipPendingRefunds",
                columns: new[] { "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipSessionSeats_RegistrationId",
                table: "MembershipSessionSeats",
                column: "RegistrationId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipSessionSeats_SessionId_RegistrationId",
                table: "MembershipSessionSeats",
                columns: new[] { "SessionId", "RegistrationId" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_MembershipEvents_Organizations_HostOrganizationId",
                table: "MembershipEvents",
                column: "HostOrganizationId",
                principalTable: "Organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MembershipEvents_Organizations_HostOrganizationId",
                table: "MembershipEvents");

            migrationBuilder.DropTable(
                name: "LearningCourseGrants");

            migrationBuilder.DropTable(
                name: "MembershipPendingRefunds");

            migrationBuilder.DropTable(
                name: "MembershipSessionSeats");

            migrationBuilder.DropTable(
                name: "MembershipEventSessions");

            migrationBuilder.DropTable(
                name: "MembershipEventTracks");

            migrationBuilder.DropIndex(
                name: "IX_MembershipEvents_HostOrganizationId",
                table: "MembershipEvents");

            migrationBuilder.DropColumn(
                name: "GrantsCourseId",
                table: "MembershipEvents");

            migrationBuilder.DropColumn(
                name: "HostOrganizationId",
                table: "MembershipEvents");
        }
    }
}
