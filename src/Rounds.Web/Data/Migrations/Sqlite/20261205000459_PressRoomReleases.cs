using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PressRoomReleases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PressAccreditations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Outlet = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OutletRole = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkSamples = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PressAccreditations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PressAccreditations_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PressAccreditations_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PressReleases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Contacts = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    LiftAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LiftZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Audience = table.Column<int>(type: "INTEGER", nullable: false),
                    Screening = table.Column<int>(type: "INTEGER", nullable: false),
                    ScreeningNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PressReleases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PressReleases_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PressEmbargoReaders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReleaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PressEmbargoReaders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PressEmbargoReaders_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PressEmbargoReaders_PressReleases_ReleaseId",
                        column: x => x.ReleaseId,
                        principalTable: "PressReleases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PressEmbargoViews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReleaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PressEmbargoViews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PressEmbargoViews_PressReleases_ReleaseId",
                        column: x => x.ReleaseId,
                        principalTable: "PressReleases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PressAccreditations_OrganizationId_UserId_Status",
                table: "PressAccreditations",
                columns: new[] { "OrganizationId", "UserId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PressAccreditations_UserId",
                table: "PressAccreditations",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_PressEmbargoReaders_ReleaseId_UserId",
                table: "PressEmbargoReaders",
                columns: new[] { "ReleaseId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PressEmbargoReaders_UserId",
                table: "PressEmbargoReaders",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_PressEmbargoViews_ReleaseId_At",
                table: "PressEmbargoViews",
                columns: new[] { "ReleaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PressReleases_OrganizationId_Status",
                table: "PressReleases",
                columns: new[] { "OrganizationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PressReleases_Status_LiftAt",
                table: "PressReleases",
                columns: new[] { "Status", "LiftAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PressAccreditations");

            migrationBuilder.DropTable(
                name: "PressEmbargoReaders");

            migrationBuilder.DropTable(
                name: "PressEmbargoViews");

            migrationBuilder.DropTable(
                name: "PressReleases");
        }
    }
}
