using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxIndexesSqliteSeeks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_Answered",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince_Id",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_Answered_Latest",
                table: "Conversations",
                columns: new[] { "OrganizationId", "LastMessageAt", "Id", "HasInbound" },
                filter: "\"WaitingSince\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_WaitingSince_LastMessageAt_Id_HasInbound",
                table: "Conversations",
                columns: new[] { "OrganizationId", "WaitingSince", "LastMessageAt", "Id", "HasInbound" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_Answered_Latest",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_WaitingSince_LastMessageAt_Id_HasInbound",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_Answered",
                table: "Conversations",
                columns: new[] { "OrganizationId", "HasInbound", "LastMessageAt", "Id" },
                filter: "\"WaitingSince\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_HasInbound_WaitingSince_Id",
                table: "Conversations",
                columns: new[] { "OrganizationId", "HasInbound", "WaitingSince", "Id" });
        }
    }
}
