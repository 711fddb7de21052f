using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MonitoringAccountCandidates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MonitoringAccountCandidates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Platform = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Handle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NormalizedHandle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SeenOnAccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    SeenInUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TimesSeen = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringAccountCandidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringAccountCandidates_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAccountCandidates_OrganizationId_Platform_Normali~",
                table: "MonitoringAccountCandidates",
                columns: new[] { "OrganizationId", "Platform", "NormalizedHandle" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAccountCandidates_OrganizationId_State_LastSeenAt",
                table: "MonitoringAccountCandidates",
                columns: new[] { "OrganizationId", "State", "LastSeenAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MonitoringAccountCandidates");
        }
    }
}
