using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SessionsOutliveTheirTrack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MembershipEventSessions_MembershipEventTracks_TrackId",
                table: "MembershipEventSessions");

            migrationBuilder.AddForeignKey(
                name: "FK_MembershipEventSessions_MembershipEventTracks_TrackId",
                table: "MembershipEventSessions",
                column: "TrackId",
                principalTable: "MembershipEventTracks",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MembershipEventSessions_MembershipEventTracks_TrackId",
                table: "MembershipEventSessions");

            migrationBuilder.AddForeignKey(
                name: "FK_MembershipEventSessions_MembershipEventTracks_TrackId",
                table: "MembershipEventSessions",
                column: "TrackId",
                principalTable: "MembershipEventTracks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
