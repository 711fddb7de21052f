using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationsByFirstInbound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_FirstInboundAt",
                table: "Conversations",
                columns: new[] { "OrganizationId", "FirstInboundAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_FirstInboundAt",
                table: "Conversations");
        }
    }
}
